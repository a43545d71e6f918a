"""Development records (riwayat pengembangan kompetensi): JP credited per year."""
