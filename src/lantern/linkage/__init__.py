"""Record linkage and privacy-preserving record linkage (PPRL) of person records. Pure Python: no Django.

Counting presumed victims means recognising the same person in referrals from several organisations and
countries, spelt in different alphabets, with partial or garbled dates of birth. Modules, in pipeline order:

- :mod:`~lantern.linkage.schema`: the person and encoding files declared as pydantic models;
- :mod:`~lantern.linkage.records`: read and check partners' CSV files (errors name the line and column; a
  value that does not parse is kept as written and counted);
- :mod:`~lantern.linkage.names`: transliteration to Latin letters, variant spellings, consonant skeletons;
- :mod:`~lantern.linkage.compare`: normalised features and per-field agreement levels of record pairs;
- :mod:`~lantern.linkage.blocking`: candidate pairs from several blocking rules OR-ed together;
- :mod:`~lantern.linkage.model`: the Fellegi–Sunter model, trained by EM without labels;
- :mod:`~lantern.linkage.engine`: :func:`~lantern.linkage.engine.find_links`, the whole pipeline
  (:mod:`~lantern.linkage.splink_engine` runs it on Splink, with DuckDB or Apache Spark, instead);
- :mod:`~lantern.linkage.cluster`: clusters (persons) and one-to-one assignment;
- :mod:`~lantern.linkage.pprl` and :mod:`~lantern.linkage.dice`: Bloom-filter encodings keyed with a shared
  secret, and the Dice comparison kernel;
- :mod:`~lantern.linkage.cli`: the ``lantern link`` and ``lantern pprl`` commands.

Benchmarks against recordlinkage, Splink and anonlink: ``bench/linkage.py``.
"""
