DROP TABLE deferred_replies;
DROP TABLE callback_receipts;
