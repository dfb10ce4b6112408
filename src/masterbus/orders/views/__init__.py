"""Pages of the orders app: public engineer pages, the engineer's studio, the client's order
pages, and the order page both sides share. Thin: parse, call one service or selector, render."""
