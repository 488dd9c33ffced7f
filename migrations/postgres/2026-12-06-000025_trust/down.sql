DROP TABLE bind_failures;
DROP TABLE bind_requests;
DROP TABLE bind_codes;
DROP TABLE sessions;
