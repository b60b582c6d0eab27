"""Turning values into text: labels, money, dates and percentages, Markdown escaping."""
