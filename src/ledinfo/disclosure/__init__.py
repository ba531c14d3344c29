"""Disclosure: what each audience may see, decided once per pack before anything is rendered
(the audiences, a team's rows, small-count protection and its audit)."""
