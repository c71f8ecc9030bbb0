"""`actionplan diff`: what changed between two revisions, or two cycles, of an action plan.

Commitments and milestones are matched by id. The result (`PlanDiff`, in `model.py`) is built
by `compare.py` from two merged plans read by `sources.py`, and printed as text, Markdown,
HTML or JSON.

The functions live in `api.py`, not here, so that importing a light submodule (the doit task
in `tasks.py`) does not load the models and templates.
"""
