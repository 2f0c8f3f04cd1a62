-- Where the shipping notification goes: the customer's email, looked up in auth when the order ships.
ALTER TABLE notifications ADD COLUMN recipient text;
