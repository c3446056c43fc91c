"""Form glue: scan several fields of a form, and apply one replacement or all."""

from dataclasses import dataclass

from .guard import Finding, replace, scan, scrub


@dataclass
class FieldFinding:
    """A finding in one field of a form, as shown in the privacy panel."""

    field: str
    finding: Finding
    before: str
    after: str

    @property
    def key(self) -> str:
        return f"{self.field}:{self.finding.start}:{self.finding.end}"


def _lines(value: str | None) -> str:
    # A browser posts a textarea's line breaks as CRLF, but a script reads them as LF: the
    # live check's keys (offsets) must fit the text of a plain post too.
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def check_fields(fields: dict[str, str], schools=()) -> list[FieldFinding]:
    """Scan several form fields; keep a little context around each finding.

    Offsets count a line break as one character, however the browser sent it.
    """
    out = []
    for name, value in fields.items():
        value = _lines(value)
        for f in scan(value, schools):
            out.append(
                FieldFinding(
                    name,
                    f,
                    value[max(0, f.start - 30) : f.start],
                    value[f.end : f.end + 30],
                )
            )
    return out


def fixed_by(fields: dict[str, str], key: str, schools=()) -> list[FieldFinding]:
    """What apply_fix(fields, key) replaces, with its context (to confirm it to her)."""
    return [ff for ff in check_fields(fields, schools) if key == "all" or ff.key == key]


def apply_fix(fields: dict[str, str], key: str, schools=()) -> dict[str, str]:
    """Apply one replacement ("field:start:end") or all of them ("all", in the whole text)."""
    fixed = dict(fields)
    for name, value in fields.items():
        value = _lines(value)
        if key == "all":
            fixed[name] = scrub(value, schools)
            continue
        findings = [f for f in scan(value, schools) if f"{name}:{f.start}:{f.end}" == key]
        fixed[name] = replace(value, findings)
    return fixed
