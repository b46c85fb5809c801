"""Values in Markdown: escaped for HTML and Markdown in one place (render.markdown_text), always one
Markdown line that starts no block, on template pages and on the pages site.py writes in Python
(the Downloads page, each document's index page)."""

from __future__ import annotations

import copy
import re

import markdown
import pytest
import yaml

from generator.build import build
from generator.config.schema import Program
from generator.content import DocumentSpec
from generator.pdf import PdfResult
from generator.render import RenderedDocument
from generator.site.staging import Download, _document_index, _downloads_page
from generator.templating import markdown_text, plain_text
from tests.conftest import MINIMAL_PROGRAM, REPO, write_project

EXTENSIONS = yaml.safe_load((REPO / "mkdocs.yml").read_text())["markdown_extensions"]


def to_html(source: str) -> str:
    names = [e if isinstance(e, str) else next(iter(e)) for e in EXTENSIONS]
    return markdown.markdown(source, extensions=names)


# Values that are markup, a link, or the start of a Markdown block.
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
    "<javascript:alert(1)>", "![x](javascript:alert(1))", "[x][1]\n\n[1]: javascript:alert(1)",
    "# Heading", "## Heading ##", "Heading\n===", "Heading\n---", "- item", "+ item", "* item", "   - item",
    "1. item", "12) item", "> quote", "    code", "\tcode", "```\ncode\n```", "~~~\ncode\n~~~", "---", "***", "___",
    "!!! note \"x\"", ": definition", "[^1]: note", "| a | b |\n| - | - |\n| c | d |", "*bold* _em_ `code`",
    "{: onclick=alert(1) }", "<div markdown=\"1\">x</div>", "&lt;script&gt;", "&#60;script&#62;", "x\\",
    "x\n\n# H1\n\n    code\n\n---\n\n- item", "\n\n# after blank lines", "a\r\n\r\n# CRLF heading",
]
BLOCKS = re.compile(r"<(h[1-6]|ul|ol|li|pre|code|blockquote|hr|dl|dt|dd|table|div|script|img|a|em|strong|sup)\b")


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("context", [
    "{}", "Some text\n{}", "Some text {} more", "- {}", "1. {}", "# {}", "| a | b |\n| --- | --- |\n| {} | x |",
    "Term\n{}", "> {}",
])
def test_a_value_is_text_wherever_a_template_puts_it(value, context):
    page = to_html(context.format(markdown_text(value)))
    expected = to_html(context.format("VALUE"))
    made = sorted(BLOCKS.findall(page))
    assert made == sorted(BLOCKS.findall(expected)), page  # no element the context itself does not make
    assert "javascript:" not in re.sub(r"<[^>]*>", "", page) or "javascript:" in value
    assert 'href="javascript' not in page


@pytest.mark.parametrize("value", HOSTILE)
def test_the_reader_sees_the_value_as_typed(value):
    page = to_html(markdown_text(value))
    import html
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
    words = [w for w in re.split(r"\s+", value) if w]
    assert " ".join(shown.split()) == " ".join(words)
    assert " ".join(plain_text(markdown_text(value)).split()) == " ".join(words)


def test_paragraphs_stay_apart_without_a_block():
    rendered = str(markdown_text("First paragraph.\nSame paragraph.\n\n\nSecond paragraph."))
    assert "\n" not in rendered
    assert rendered == "First paragraph. Same paragraph.<br><br>Second paragraph."


def program(**fields) -> Program:
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "id": "p", **fields}
    return Program.model_validate(data)


def spec(**fields) -> DocumentSpec:
    data = {"id": "guide", "title": "Guide", "kind": "guide", "audience": "Everyone", "description": "How.",
            "sections": ["guide/about"], **fields}
    return DocumentSpec.model_validate(data)


def test_downloads_page_escapes_the_program_name_and_calendar_sentence():
    name = "<script>alert(1)</script> [click](javascript:alert(1)) *Mentoring*"
    p = program(name=name, schedule={"length": "6 months", "start": "2027-01-04"})
    pdf = PdfResult("guide", "guide.pdf", 3, 2048, "", fields=2, thumbnail="guide.png", thumbnail_size=(160, 207))
    page = to_html(_downloads_page(p, [Download(spec(title="<b>T</b> [x](javascript:y)", audience="# All"),
                                                "pdf/guide.pdf", pdf)]))
    assert "<script>" not in page and 'href="javascript' not in page and "<em>" not in page and "<b>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1)) *Mentoring*") == 2
    assert "<h1" in page and page.count("<h1") == 1  # the page's own heading only
    assert 'href="pdf/guide.pdf"' in page and 'href="calendar.ics"' in page


def test_document_index_escapes_document_texts():
    document = RenderedDocument(spec(title="# <i>Title</i>", description="- [x](javascript:alert(1))",
                                     audience="`All`"), [])
    page = to_html(_document_index(document, None))
    assert page.count("<h1") == 1 and "<i>" not in page and "<li>" not in page and 'href="javascript' not in page
    assert "# &lt;i&gt;Title&lt;/i&gt;" in page and "`All`" in page


def test_site_pages_show_newlines_in_multi_line_fields_as_paragraphs(tmp_path):
    data = {**copy.deepcopy(MINIMAL_PROGRAM), "description": "First.\n\n# Not a heading\n\n    not code\n\n- not a list"}
    project = write_project(tmp_path / "project", {"p": data})
    build(project, out=tmp_path / "out", jobs=1)
    home = (tmp_path / "out" / "p" / "index.html").read_text()
    article = home[home.index("<article"):home.index("</article>")]
    assert "First.<br><br># Not a heading<br><br>not code<br><br>- not a list" in article
    assert "<pre" not in article and "<li" not in article and article.count("<h1") == 1
