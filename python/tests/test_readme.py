"""python/README.md's examples run as written.

Every ```python block not marked `<!-- not run: REASON -->` on the line before
its fence runs, in order, in one namespace. An expression statement followed
by a comment (on its line, or alone on the next) that starts with a Python
literal must equal that literal (`# True (today)`, `# ['A00.0', 'A00.1']`);
one followed by `# raises NAME` must raise it. Other comments are prose.
Every ```sh block must be marked not run, with a reason: they install.
"""

import ast
import io
import pathlib
import tokenize

import pytest

import medcode

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def blocks():
    """(language, marker, first body line (1-based), body lines) per fence."""
    lines = README.read_text(encoding="utf-8").splitlines()
    out, previous, i = [], "", 0
    while i < len(lines):
        if lines[i].startswith("```"):
            lang, start, body = lines[i][3:].strip(), i + 2, []
            i += 1
            while not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            marker = previous.strip()
            if not (marker.startswith("<!--") and marker.endswith("-->")):
                marker = ""
            out.append((lang, marker, start, body))
            previous = ""
        else:
            previous = lines[i]
        i += 1
    return out


def leading_literal(comment):
    """The longest leading part of `comment` that is a Python literal."""
    for end in range(len(comment), 0, -1):
        try:
            return True, ast.literal_eval(comment[:end].strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return False, None


def comments(source):
    """Line number (1-based) → comment text, and the lines holding only a comment."""
    found, alone = {}, set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            found[tok.start[0]] = tok.string[1:].strip()
            if not tok.line[: tok.start[1]].strip():
                alone.add(tok.start[0])
    return found, alone


def run_block(source, namespace, where):
    tree = ast.parse(source)
    found, alone = comments(source)
    checked = 0
    for stmt in tree.body:
        code = compile(ast.Module(body=[stmt], type_ignores=[]), where, "exec")
        comment = found.get(stmt.end_lineno)
        if comment is None and stmt.end_lineno + 1 in alone:
            comment = found[stmt.end_lineno + 1]
        if not isinstance(stmt, ast.Expr) or comment is None:
            exec(code, namespace)
            continue
        if comment.startswith("raises "):
            name = comment.split()[1]
            expected = eval(name, namespace)
            with pytest.raises(expected):
                eval(compile(ast.Expression(stmt.value), where, "eval"), namespace)
            checked += 1
            continue
        is_literal, value = leading_literal(comment)
        got = eval(compile(ast.Expression(stmt.value), where, "eval"), namespace)
        if is_literal:
            assert got == value, f"{where} line {stmt.lineno}: {got!r}, the README says {value!r}"
            checked += 1
    return checked


def test_python_blocks_run_and_answer_as_shown():
    namespace = {"__name__": "readme"}
    ran = checked = 0
    for lang, marker, start, body in blocks():
        if lang != "python":
            continue
        if marker.startswith("<!-- not run:"):
            assert len(marker) > len("<!-- not run: -->") + 3, f"README line {start - 1}: a reason is needed"
            continue
        # Blank lines keep the README's line numbers in tracebacks.
        source = "\n" * (start - 1) + "\n".join(body) + "\n"
        checked += run_block(source, namespace, str(README))
        ran += 1
    assert ran >= 3, f"only {ran} python blocks ran"
    assert checked >= 8, f"only {checked} answers compared with the README"


def test_shell_blocks_are_marked_with_a_reason():
    for lang, marker, start, _ in blocks():
        if lang in ("sh", "bash", "shell"):
            assert marker.startswith("<!-- not run:"), f"README line {start - 1}: mark it `<!-- not run: REASON -->`"
            assert len(marker) > len("<!-- not run: -->") + 3, f"README line {start - 1}: a reason is needed"


def test_leading_literal():
    assert leading_literal("True (today)") == (True, True)
    assert leading_literal("['A00.0', 'A00.1']  (every billable code that day)") == (True, ["A00.0", "A00.1"])
    assert leading_literal("bool Series, same index") == (False, None)
