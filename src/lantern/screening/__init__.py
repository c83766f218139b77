"""Screening: the indicator catalogue, the pure scoring engine, `lantern screen`, and the interview app."""
