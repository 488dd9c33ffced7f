DROP TABLE topics;
