"""Fixtures for the shell's tests of faults and idempotency: the cases and referrals apps' own fixtures
(`worker` = the own organisation's case worker, `open_case`, `today`; `offer` = a shelter's service)."""

from lantern.referrals.tests import conftest as referrals_fixtures

today, worker, open_case = referrals_fixtures.today, referrals_fixtures.worker, referrals_fixtures.open_case
shelter_org, offer = referrals_fixtures.shelter_org, referrals_fixtures.offer
