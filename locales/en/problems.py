"""en: import problems as the Data page says them (the CLI's flags named as the page's controls)."""

PROBLEMS = [
    (r"^unknown customer (.*) \(--strict\)$", r"unknown customer \1 (“Reject unknown customer ids” is on)"),
]
