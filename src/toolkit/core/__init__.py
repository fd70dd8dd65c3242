"""The lowest layer: errors, paths, atomic files, periods, number formats, texts and KPI definitions. Imports nothing of the toolkit."""
