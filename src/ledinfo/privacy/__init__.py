"""Privacy: CPR numbers detected in every form, redacted from what is printed, and the final
read-back guard over every output."""
