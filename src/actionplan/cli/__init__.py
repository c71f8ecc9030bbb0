"""The `actionplan` command, one module per command, parsing apart from execution.

- `parser.py` builds the argparse tree: the top-level options, then a subparser for each
  command, under its name in `COMMANDS`, made of the `HELP` and `DESCRIPTION` its module
  declares.
- Each command module (`validate`, `rules`, `schemas`, `new`, `diff`, `textconv`, `status`,
  `importer` for `import`) adds its arguments to that subparser (`add_arguments(parser)`)
  and the function that executes it (`set_defaults(run=...)`). That function parses nothing:
  it reads the parsed Namespace and calls the library. Heavy imports (the models, the
  renderers) are made there, not when the arguments are added, so that `actionplan validate`
  starts fast; the choices of `new` and `diff` are the exception, which is why `--help` and
  `--version` leave every command's arguments out.
- `main()` runs the command and turns a failure into one line on standard error: an
  `ActionPlanError` into its message and exit code, anything else into an "internal error"
  (its traceback only with `--debug`).
- `pr.py` is the pull-request comment script, `python -m actionplan.diff.pr`, over the same
  core (`diff/comment.py`); it is not a subcommand.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from actionplan.cli.parser import command_named
from actionplan.errors import ActionPlanError, ExitCode, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (cli/parser.py)
if TYPE_CHECKING:
    from actionplan.cli.parser import Arguments, Run


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the line, run its command, and return the exit code (an `ExitCode`)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = _parsed(arguments)
    run: Run = args.run
    try:
        return run(args)
    except ActionPlanError as exc:
        if args.debug:
            import traceback  # only then: it loads the tokenizer, a tenth of a warm validation

            traceback.print_exc()
        print(f"actionplan: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return ExitCode.PROBLEMS
    except Exception as exc:  # the last line of defence: a message, not a traceback
        if args.debug:
            raise
        print(
            f"actionplan: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for details and report it)",
            file=sys.stderr,
        )
        return ExitCode.PROBLEMS


def _parsed(arguments: list[str]) -> Arguments:
    """The line parsed: a plain `validate` line by the command itself, without argparse (whose
    import and tree take a tenth of a validation from the cache), anything else by argparse."""
    command = command_named(arguments)
    if command == "validate":
        from actionplan.cli.validate import parsed

        plain = parsed(arguments)
        if plain is not None:
            return plain
    from actionplan.cli.parser import build_parser

    return build_parser(command).parse_args(arguments)


__all__ = ["UsageError", "main"]
