// Functions outside the subset are refused.
RETURN toStringOrNull(4)
