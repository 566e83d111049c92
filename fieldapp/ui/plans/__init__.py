"""Repayment plans in the GUI: the plan editor, the signature pad, the debtor's view, the case summary."""
