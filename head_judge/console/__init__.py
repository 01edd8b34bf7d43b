"""The head judge's console: a Textual app showing the whole final on one screen, over the
same `HeadJudge` / appeals / `Master` functions the CLI calls (`head-judge serve EVENT.toml`).

Only this package (and `judge_terminal`) may import Textual; the modules without a Textual
import (`state`, `ledger_view`, `serving`, `stage`, `words`) are plain reads and
helpers the screens call.
"""
