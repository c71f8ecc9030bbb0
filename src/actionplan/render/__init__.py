"""Render stage: HTML, PDF, DOCX, JSON and e-filing outputs of a merged plan."""
