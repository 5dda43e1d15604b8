"""The per-tenant trainer: fits Recommend's candidate models and ranker to a tenant's own interactions.

`python -m dmp_trainer.train --data DIR --out DIR` (run by `dmp train`): see the trainer's README.
"""
