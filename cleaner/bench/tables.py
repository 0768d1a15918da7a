"""The benchmark's plain text tables, one function per table, all from a `Report`.

Every system of a report ran on the same pages in the same run, so the rows of a table compare
directly, times included.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.bench import Report, SystemSummary, peers, time_shares
from cleaner.bench.metrics import PRF


def _num(value: float | None) -> str:
    """Figures with three decimals, '-' where there is nothing to show."""
    return "-" if value is None else f"{value:.3f}"


def _row(cells: Sequence[str], widths: Sequence[int], left: int) -> str:
    """One table line: the first `left` cells left-aligned (names), the others right-aligned."""
    parts = [
        cell.ljust(width) if i < left else cell.rjust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts).rstrip()


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain text table sized to its contents."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [_row(header, widths, left), _row(["-" * w for w in widths], widths, left)]
    lines.extend(_row(r, widths, left) for r in rows)
    return "\n".join(lines)


def _prf_cells(prf: PRF) -> list[str]:
    """P, R, F1 as table cells."""
    return [_num(prf.p), _num(prf.r), _num(prf.f1)]


def systems_table(report: Report) -> str:
    """Systems as rows: the input each one reads, word and shingle P/R/F1, leakage rate."""
    header = ["system", "input", "word P", "word R", "word F1",
              "shingle P", "shingle R", "shingle F1", "leakage"]
    rows = [
        [
            name,
            peers.INPUT_OF[name],
            *_prf_cells(s.overall.word),
            *_prf_cells(s.overall.shingle),
            _num(s.overall.leakage.rate),
        ]
        for name, s in report.systems.items()
    ]
    return _table(header, rows, left=2)


def _seconds(ms: float) -> str:
    """A total time in seconds, one decimal."""
    return f"{ms / 1000:.1f}"


def time_table(report: Report) -> str:
    """Systems as rows: ms/page, total seconds over the run's pages, that total as a share of
    trafilatura's (when it ran): of its text extraction alone (``x trafilatura``) and of its
    text and metadata (``x trafilatura+meta``, the same job as our cleaner's), and the pages
    each system failed on or refused."""
    reference = report.systems.get(peers.TRAFILATURA)
    header = ["system", "ms/page", "total s", "x trafilatura", "x trafilatura+meta", "errors",
              "rejected"]
    rows = []
    for name, s in report.systems.items():
        shares = time_shares(s, reference)
        rows.append([
            name,
            f"{s.ms_per_page:.1f}",
            _seconds(s.total_ms),
            _num(shares["x_trafilatura"]),
            _num(shares["x_trafilatura_with_meta"]),
            str(s.errors),
            str(s.rejected),
        ])
    return _table(header, rows)


def type_table(report: Report) -> str:
    """Page types as rows, word F1 of every system as columns, and an 'all' line."""
    names = list(report.systems)
    first = next(iter(report.systems.values()))
    header = ["type", "pages", *names]
    rows = [
        [t, str(part.pages), *(_num(report.systems[n].by_type[t].word.f1) for n in names)]
        for t, part in first.by_type.items()
    ]
    rows.append(
        ["all", str(first.overall.pages), *(_num(report.systems[n].overall.word.f1) for n in names)]
    )
    return _table(header, rows)


def type_detail_table(report: Report) -> str:
    """Page type and system as rows: word P/R/F1, shingle F1 and leakage of each pair, the
    type named on its first row only."""
    first = next(iter(report.systems.values()))
    header = ["type", "system", "pages", "word P", "word R", "word F1", "shingle F1", "leakage"]
    rows: list[list[str]] = []
    for page_type in [*first.by_type, "all"]:
        for i, (name, summary) in enumerate(report.systems.items()):
            part = summary.overall if page_type == "all" else summary.by_type[page_type]
            rows.append([
                page_type if i == 0 else "",
                name,
                str(part.pages) if i == 0 else "",
                *_prf_cells(part.word),
                _num(part.shingle.f1),
                _num(part.leakage.rate),
            ])
    return _table(header, rows, left=2)


def _rate_cells(summary: SystemSummary) -> list[str]:
    """Metadata and snippet pass rates of one system."""
    meta = summary.metadata
    cells = [_num(meta[k].rate) if meta else "-" for k in ("title", "author", "date")]
    return cells + [_num(summary.snippets[k].rate) for k in ("with", "without")]


def meta_table(report: Report) -> str:
    """Metadata exact-match rates and with/without snippet pass rates, totals in the header."""
    first = next(iter(report.systems.values()))
    totals = {k: r.total for k, r in (first.metadata or {}).items()}
    for summary in report.systems.values():
        totals.update({k: r.total for k, r in (summary.metadata or {}).items()})
    totals.update({k: r.total for k, r in first.snippets.items()})
    totals["leakage"] = first.overall.leakage.total
    keys = ("title", "author", "date", "with", "without")
    header = ["system", *(f"{k} (n={totals.get(k, 0)})" for k in (*keys, "leakage"))]
    rows = [[name, *_rate_cells(s), _num(s.overall.leakage.rate)]
            for name, s in report.systems.items()]
    return _table(header, rows)


GUTTED_SHOWN = 8  # pages listed per system under the cut-loss table; the JSON report has all


def cut_table(report: Report) -> str:
    """Our systems as rows: the pages that lost more than half their gold words to the cut rules
    and the settling pass, and the causes that took the most words on them; then the worst
    pages, with their causes."""
    ours = {name: s for name, s in report.systems.items() if name in peers.OURS}
    header = ["system", "pages > half lost", "causes (pages)"]
    rows: list[list[str]] = []
    listed: list[str] = []
    for name, summary in ours.items():
        causes: dict[str, int] = {}
        for page in summary.gutted:
            top = page.causes[0] if page.causes else "-"
            causes[top] = causes.get(top, 0) + 1
        ranked = sorted(causes.items(), key=lambda item: (-item[1], item[0]))
        rows.append([name, str(len(summary.gutted)),
                     ", ".join(f"{cause} ({n})" for cause, n in ranked) or "-"])
        listed.extend(f"  {name} {page.id} ({page.type}): {page.share:.2f} lost, "
                      f"{', '.join(page.causes)}" for page in summary.gutted[:GUTTED_SHOWN])
    return "\n".join([_table(header, rows), *listed])


def render(report: Report) -> str:
    """All the tables, titled."""
    return (
        "\n\n".join(
            [
                f"Text extraction, {report.pages} pages (P/R/F1 means over pages; leakage: "
                "share of the pages with `without` snippets where one survives)",
                systems_table(report),
                "Time of the extraction call alone, same pages, same worker",
                time_table(report),
                "Metadata exact match (pages whose gold has the field), snippet pass rates "
                "(snippets pooled) and leakage (pages)",
                meta_table(report),
                "Word F1 by page type",
                type_table(report),
                "By page type",
                type_detail_table(report),
                *(
                    ["Gold words lost to cut rules and the settling pass (pages that lost more "
                     "than half; cause: the rule or step that took the most)", cut_table(report)]
                    if any(name in peers.OURS for name in report.systems) else []
                ),
            ]
        )
        + "\n"
    )
