"""The NRM procedure, in pure Python (no Django, nothing of the apps): what a case's country profile says and
what follows from it. The `cases` app stores cases; this package says which stages, steps, deadlines and ages
the procedure has, so the CLI, the public pages and the statistics can use it without a database.

- `profiles`: the NRM country profiles (`cases/data/nrm-profiles.yaml`) loaded and checked as a stage machine;
- `workflow`: which steps a case may take from its stage, by whom, and when;
- `deadlines`: decision targets and ends of minimum periods, in calendar or working days;
- `age`: age on a date, and when a person is treated as a child;
- `emergency`: the emergency contacts per country (`cases/data/emergency-contacts.yaml`).
"""
