"""Wire-agency names live in one table (newsbot/extract/wires.py), not in the generic extraction rules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from newsbot.extract.korean import DATELINE, PHOTO_CREDIT
from newsbot.extract.wires import WIRES

PACKAGE = Path(__file__).parent.parent / "newsbot"
GENERIC = ["extract/korean.py", "extract/body.py", "summarize.py"]
NAMES = sorted({name for wire in WIRES for name in (*wire.korean_names, *wire.latin_names)}, key=len, reverse=True)
ANY_NAME = re.compile(r"(?<![A-Za-z가-힣])(?:" + "|".join(map(re.escape, NAMES)) + r")(?![A-Za-z])", re.IGNORECASE)


def _code_strings(path: Path) -> list[str]:
    """String constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("module", GENERIC)
def test_generic_rules_name_no_agency(module):
    assert [text for text in _code_strings(PACKAGE / module) if ANY_NAME.search(text)] == []


def test_the_table_still_drives_the_korean_rules():
    assert DATELINE.match("(서울=뉴스1) 홍길동 기자 = ")
    assert PHOTO_CREDIT.search("사진은 기사와 무관 © News1") and PHOTO_CREDIT.search("photo@newsis.com")
