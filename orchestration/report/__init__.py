"""The auditor's report: reconciliation results, evidence and history, as HTML, JSON or Markdown."""
