"""Click's own usage errors (a missing option, an unknown command, a value of the wrong
type) said in Chinese first: `BilingualUsage` wraps click's error, prints a Chinese line from
`sync.problems` and then click's own usage lines and English error, as click would. Both
apps' command groups are `BilingualUsageGroup`s; it refuses nothing itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import click

from .problems import Said

__all__ = ["BilingualUsage", "BilingualUsageGroup", "bilingual_usage"]


class BilingualUsage(click.UsageError):
    """Click's `error`, shown with a Chinese line before click's own words."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.message, error.ctx)
        self.error = error

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{usage_problem(self.error).render('zh')}", err=True)
        self.error.show(file)


class BilingualUsageGroup(click.Group):
    """A command group whose usage errors, its own or its commands', are `BilingualUsage`."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise bilingual_usage(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise bilingual_usage(exc) from None


def bilingual_usage(error: click.UsageError) -> click.UsageError:
    """`error` as `BilingualUsage` (once; click's help-on-no-arguments left as it is)."""
    if isinstance(error, BilingualUsage | click.exceptions.NoArgsIsHelpError):
        return error
    return BilingualUsage(error)


def usage_problem(error: click.UsageError) -> Said:
    """What was wrong with the command line, and where its help is."""
    problem: Said
    if isinstance(error, click.MissingParameter):
        kind = "usage_missing_argument" if _param_type(error) == "argument" \
            else "usage_missing_option"
        problem = Said(kind, name=_hint(error))
    elif isinstance(error, click.BadParameter):
        problem = Said("usage_bad_value", name=_hint(error))
    elif isinstance(error, click.NoSuchOption):
        problem = Said("usage_no_such_option", option=error.option_name,
                       hint=_did_you_mean(error.possibilities))
    elif isinstance(error, click.exceptions.NoSuchCommand):
        problem = Said("usage_no_such_command", command=error.command_name,
                       hint=_did_you_mean(error.possibilities))
    elif isinstance(error, click.BadOptionUsage):
        problem = Said("usage_bad_option", option=error.option_name)
    else:
        problem = Said("usage_wrong")
    path = error.ctx.command_path if error.ctx is not None else ""
    return Said("usage_see_help", problem=problem, command=f"{path} --help".strip())


def _param_type(error: click.MissingParameter) -> str | None:
    if error.param_type is not None:
        return error.param_type
    return error.param.param_type_name if error.param is not None else None


def _hint(error: click.BadParameter) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    if error.param is not None:
        return error.param.get_error_hint(error.ctx)
    return ""


def _did_you_mean(possibilities: Iterable[str] | None) -> Said | str:
    options = list(possibilities or ())
    return Said("usage_did_you_mean", options=", ".join(options)) if options else ""
