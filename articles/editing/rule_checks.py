"""Checking a proofreading rule row before it is saved: the engine's own checks, with
Chinese messages keyed by field. ``ProofreadingRule.clean()`` calls
:func:`validate_rule_row`; this module imports no model, so the model can import it."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from articles.essay import proofreading as engine
from articles.essay.patterns import PatternError


def rule_from_row(row) -> engine.Rule:
    """The engine :class:`~articles.essay.proofreading.Rule` for a row (not validated)."""
    return engine.Rule(
        id=row.rule_id,
        pattern=row.pattern,
        suggestion=row.suggestion,
        category=row.category,
        severity=row.severity,
        explanation=row.explanation,
        context_before=row.context_before,
        context_after=row.context_after,
        not_before=row.not_before,
        not_after=row.not_after,
        enabled=bool(row.enabled),
        note=row.note,
        confidence=row.confidence,
    )


def validate_rule_row(row, exclude=()) -> None:
    """Raise ``ValidationError`` (Chinese messages, keyed by field) unless the
    engine can use ``row``; ``ProofreadingRule.clean()`` calls this.

    Errors on fields named in ``exclude`` (fields a form does not show) are
    reported as form-wide errors naming the field, since a form cannot
    attach an error to a field it lacks.
    """
    model = type(row)  # ProofreadingRule (articles.models imports this module)
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not row.rule_id:
        error("rule_id", "规则编号不能为空。")
    if not row.pattern:
        error("pattern", "错误写法不能为空。")
    for name in engine.REGEX_FIELDS:
        value = getattr(row, name) or ""
        if not value:
            continue
        try:
            # Compiled as the engine runs it: on RE2, so that nothing an
            # editor saves can make a proofreading run for ever.
            compiled = engine.compile_field(name, value)
        except PatternError as problem:
            error(name, str(problem))
            continue
        if name == "pattern" and compiled.matches_empty():
            error(name, "不能匹配空字符串\uff08例如“a*”会在每个位置命中\uff09\uff0c请至少要求一个字符。")
    if row.category and row.category not in engine.CATEGORIES:
        error("category", "未知的类别。")
    if row.severity and row.severity not in engine.SEVERITIES:
        error("severity", "未知的严重程度。")
    if row.category == model.Category.POLITICAL_TERM and row.severity != model.Severity.POLITICAL:
        error("severity", "“政治术语”类规则的严重程度必须是“政治性错误”。")
    confidence = row.confidence
    if confidence is None or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        error("confidence", "把握程度须是 0 到 1 之间的数。")
    if not errors:
        try:
            engine.validate_rule(rule_from_row(row))
        except ValueError as problem:  # a check the engine adds later
            error(NON_FIELD_ERRORS, f"规则无法使用\uff1a{problem}")
    if errors:
        exclude = set(exclude or ())
        keyed: dict[str, list[str]] = {}
        for name, messages in errors.items():
            if name in exclude:
                label = model._meta.get_field(name).verbose_name
                keyed.setdefault(NON_FIELD_ERRORS, []).extend(f"{label}\uff1a{m}" for m in messages)
            else:
                keyed.setdefault(name, []).extend(messages)
        raise ValidationError(keyed)
