DROP TABLE room_display_keys;
