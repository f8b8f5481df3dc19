// Functions outside the subset are refused.
RETURN apoc.text.join(["a"], ",")
