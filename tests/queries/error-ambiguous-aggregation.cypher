// Outside its aggregate, an item may only read grouping keys.
MATCH (me:people)-->(you) RETURN me.born + count(you)
