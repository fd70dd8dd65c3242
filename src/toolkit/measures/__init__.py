"""The measures of the core data model, one definition each, shared by every analysis that shows them."""
