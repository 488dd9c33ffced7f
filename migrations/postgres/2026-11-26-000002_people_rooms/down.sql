DROP TABLE rooms;
DROP TABLE people;
