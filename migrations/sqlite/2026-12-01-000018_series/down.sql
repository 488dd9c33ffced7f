DROP TABLE series_answers;
DROP TABLE series_occurrences;
DROP TABLE series;
