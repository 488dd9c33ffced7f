DROP TABLE decision_outcomes;
DROP TABLE decision_votes;
