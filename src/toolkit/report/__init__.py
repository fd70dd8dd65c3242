"""The report layer: blocks (Report, tables, cards), figures, narrative, export to HTML and XLSX, forms and widget parts."""
