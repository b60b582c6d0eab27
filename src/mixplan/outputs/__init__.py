"""What mixplan produces: the deliverable, charts, PDF, exports, status, findings reports, and the one writer."""
