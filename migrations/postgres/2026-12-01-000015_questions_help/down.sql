DROP TABLE help_requests;
DROP TABLE questions;
