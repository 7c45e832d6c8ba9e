# Command-line flag lists for Tools/eval-relevance: reading, removing and merging options in the flag lists that
# are passed through to `newsidx index` / `newsidx search` (and read for the bm25s peer's k1 and b).
from __future__ import annotations


def split_options(flags: list[str]) -> list[list[str]]:
    """Groups flags into options: `--name`, `--name=V` or `--name V` (a value is any token not starting with --)."""
    options: list[list[str]] = []
    for flag in flags:
        if flag.startswith("--") or not options or len(options[-1]) > 1 or "=" in options[-1][0]:
            options.append([flag])
        else:
            options[-1].append(flag)
    return options


def option_name(option: list[str]) -> str:
    return option[0].split("=", 1)[0]


def flag_value(flags: list[str], name: str, default: str) -> str:
    """The last value given to `name`, as `--name V` or `--name=V`; `default` when it is absent."""
    value = default
    for option in split_options(flags):
        if option_name(option) == name:
            value = option[0].split("=", 1)[1] if "=" in option[0] else (option[1] if len(option) > 1 else value)
    return value


def without_option(flags: list[str], name: str) -> list[str]:
    """`flags` minus every `name VALUE` / `name=VALUE` / bare `name`."""
    return [flag for option in split_options(flags) if option_name(option) != name for flag in option]


def merge_flags(common_flags: list[str], row_flags: list[str]) -> list[str]:
    """Common flags, minus the options the row sets itself, then the row's flags (no option is given twice)."""
    row_names = {option_name(option) for option in split_options(row_flags)}
    kept = [option for option in split_options(common_flags) if option_name(option) not in row_names]
    return [flag for option in kept for flag in option] + row_flags
