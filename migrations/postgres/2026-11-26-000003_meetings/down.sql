DROP TABLE agenda_items;
DROP TABLE meeting_roles;
DROP TABLE meetings;
