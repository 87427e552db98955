"""Editing essays: the 三审 workflow and every status transition, sections, revisions,
importing, proofreading rules, .docx reading, images and upload storage."""
