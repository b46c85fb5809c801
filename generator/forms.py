"""The form vocabulary content uses to declare fillable fields, rendered once as HTML that is
both a web form (site) and real AcroForm fields (WeasyPrint `pdf_forms`).

Field names are stable and meaningful: `<form id>.<field>` (e.g. `agreement.mentee_name`),
table cells `<form id>.row03.date`. Every input has a label tied to it and a `title`, which
WeasyPrint writes as the field tooltip (TU) for screen readers and field lists.
No <button> is ever rendered here: inside a form WeasyPrint writes a broken AcroForm reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from generator.config.types import Blank
from generator.facts import Phrase, ProgramFacts

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_ROWS = 12
MAX_ROWS = 60
KINDS = ("text", "textarea", "date", "email", "signature", "checkbox", "choice")


def _value(value: Any) -> str:
    """A prefilled value as text; blank on purpose (or unknown) means an empty field to fill in."""
    if value is None or isinstance(value, Blank):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def prefill(value: Any) -> str | None:
    """A fact as a field's starting text; None (an empty field) when unknown or left blank on purpose."""
    if value is None or isinstance(value, Blank) or (isinstance(value, Phrase) and value.has_blank):
        return None
    return _value(value)


def journal_rows(facts: ProgramFacts) -> int:
    """Rows of the meeting journal: one per one-to-one meeting the program has.

    DEFAULT_ROWS when the length or the cadence is open (blank, tied to another program): the
    journal still needs rows to write in.
    """
    if facts.meeting_count is None:
        return DEFAULT_ROWS
    return max(1, min(MAX_ROWS, facts.meeting_count))


class FormFields:
    """Jinja helpers bound to one form (document) id."""

    def __init__(self, form_id: str):
        self.form_id = form_id
        self.names: list[str] = []
        self._halves = 0  # consecutive half-width fields so far: even -> left column, odd -> right

    def _name(self, *parts: str) -> str:
        for part in parts:
            if not NAME_PATTERN.match(part):
                raise ValueError(f"field name '{part}' must be lowercase letters, digits and _")
        full = ".".join((self.form_id, *parts))
        if full in self.names:
            raise ValueError(f"field '{full}' is declared twice")
        self.names.append(full)
        return full

    def _id(self, full: str) -> str:
        return "f-" + full.replace(".", "-").replace("_", "-")

    def field(self, name: str, label: str, kind: str = "text", value: Any = None, lines: int = 3,
              options: Iterable[str] = (), hint: str | None = None, width: str = "full") -> Markup:
        """One labelled field: text, textarea, date, email, signature, checkbox or choice."""
        if kind not in KINDS:
            raise ValueError(f"field kind '{kind}' is not one of {', '.join(KINDS)}")
        if kind == "choice":
            return self.choice(name, label, options)
        layout = self._layout(width)
        full = self._name(name)
        ident = self._id(full)
        label_html = escape(label)
        hint_html = Markup(f'<span class="form-hint" id="{ident}-hint">{escape(hint)}</span>') if hint else Markup("")
        described = Markup(f' aria-describedby="{ident}-hint"') if hint else Markup("")
        common = Markup(f'id="{ident}" name="{escape(full)}" title="{label_html}"') + described
        value_text = escape(_value(value))
        if kind == "checkbox":
            self._halves = 0
            checked = Markup(" checked") if value is True else Markup("")
            return Markup(
                f'<div class="form-field form-check"><input type="checkbox" {common} value="Yes"{checked}>'
                f' <label for="{ident}">{label_html}</label>{hint_html}</div>\n'
            )
        if kind == "textarea":
            rows = max(1, min(int(lines), 20))
            control = Markup(f'<textarea {common} rows="{rows}" class="lines-{rows}">{value_text}</textarea>')
        else:
            html_type = {"signature": "text", "date": "date", "email": "email"}.get(kind, "text")
            autocomplete = Markup(' autocomplete="off"')
            control = Markup(f'<input type="{html_type}" {common} value="{value_text}"{autocomplete}>')
        return Markup(
            f'<div class="form-field form-{kind} {layout}"><label for="{ident}">{label_html}</label>'
            f"{hint_html}{control}</div>\n"
        )

    def _layout(self, width: str) -> str:
        """Half-width fields pair up left/right; anything else starts a new row."""
        if width != "half":
            self._halves = 0
            return "width-full"
        self._halves += 1
        return "half-left" if self._halves % 2 else "half-right"

    def choice(self, name: str, label: str, options: Iterable[str]) -> Markup:
        """A set of radio buttons: one answer from the options."""
        self._halves = 0
        options = list(options)
        if not options:
            raise ValueError(f"choice '{name}' needs options")
        full = self._name(name)
        ident = self._id(full)
        items = []
        for index, option in enumerate(options, start=1):
            option_id = f"{ident}-{index}"
            items.append(
                f'<label class="form-option" for="{option_id}"><input type="radio" id="{option_id}" '
                f'name="{escape(full)}" value="{escape(option)}" title="{escape(label)}: {escape(option)}">'
                f" {escape(option)}</label>"
            )
        return Markup(
            f'<fieldset class="form-field form-choice"><legend>{escape(label)}</legend>{"".join(items)}</fieldset>\n'
        )

    def table(self, columns: Iterable[Any], rows: int, name: str = "", caption: str | None = None,
              first_column: str | None = None) -> Markup:
        """A table of fields, one row per entry (`form.row01.column`, or `form.name.row01.column`),
        its header repeated on every page.

        columns: [key, label] pairs or {key, label, kind} mappings; kind 'textarea' gives taller cells.
        """
        self._halves = 0
        cols = [c if isinstance(c, dict) else {"key": c[0], "label": c[1]} for c in columns]
        rows = max(1, min(int(rows), MAX_ROWS))
        head = "".join(f'<th scope="col">{escape(c["label"])}</th>' for c in cols)
        if first_column:
            head = f'<th scope="col">{escape(first_column)}</th>' + head
        body = []
        for row in range(1, rows + 1):
            cells = []
            if first_column:
                cells.append(f'<th scope="row">{row}</th>')
            for col in cols:
                full = self._name(*([name] if name else []), f"row{row:02d}", col["key"])
                label = f"{col['label']}, row {row}"
                kind = col.get("kind", "text")
                attrs = (f'id="{self._id(full)}" name="{escape(full)}" title="{escape(label)}" '
                         f'aria-label="{escape(label)}"')
                control = (f"<textarea {attrs} rows=\"2\"></textarea>" if kind == "textarea"
                           else f'<input type="{"date" if kind == "date" else "text"}" {attrs}>')
                cells.append(f'<td class="kind-{escape(kind)}">{control}</td>')
            body.append(f"<tr>{''.join(cells)}</tr>")
        caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
        return Markup(  # the wrapper scrolls sideways on narrow screens instead of widening the page
            f'<div class="form-table-wrap"><table class="form-table">{caption_html}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>\n"
        )


def form_globals(form_id: str) -> dict[str, Any]:
    fields = FormFields(form_id)
    return {"field": fields.field, "choice": fields.choice, "field_table": fields.table, "prefill": prefill}
