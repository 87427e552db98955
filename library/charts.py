"""Chart descriptions for the templates: the figures once, drawn as a chart and as a table."""


def chart(chart_id, caption, rows, *, label_heading, value_heading="文稿数", kind="bar"):
    """``rows``: ``[(label, value, url-or-"")]``. The JSON for ECharts holds labels and values only."""
    return {
        "id": chart_id,
        "data_id": f"{chart_id}-data",
        "type": kind,
        "caption": caption,
        "label_heading": label_heading,
        "value_heading": value_heading,
        "rows": rows,
        "data": {
            "caption": caption,
            "labels": [str(label) for label, _, _ in rows],
            "values": [value for _, value, _ in rows],
            "name": value_heading,
        },
    }
