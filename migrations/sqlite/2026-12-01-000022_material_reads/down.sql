DROP TABLE material_reads;
