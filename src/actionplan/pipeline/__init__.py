"""The build layer (the `doit` pipeline): what `dodo.py` turns into doit tasks.

- `project`: where things are (`Settings`), the plans to build (`PlanTarget`), the build date.
- `deps`: the files besides a plan's own that each document depends on (templates, stylesheets,
  label catalogues, data files, the code that shapes it).
- `families`: the table of document families, one row per doit family; a new document (the
  co-creation report, the public site) is one more row.
- `actions`: the renderers the rows name, the doit actions, each loading its plan again.
- `state`: what keeps doit's record true (the lock, damaged state, inputs as read).
- `tasks`: the task dicts dodo.py yields, built from the table.

Task creation imports `project`, `deps`, `families`, `state` and `tasks` only, which need the
standard library, ruamel.yaml and doit: `actions` imports the validator and the renderers inside
its functions, so a no-op `doit` stays fast.
"""
