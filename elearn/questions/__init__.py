"""Questions: Moodle's GIFT format and the question types, one class per type that reads its
GIFT answer block, converts to and from stored data, shows, reads and grades answers, and
names its input template. :mod:`.gift` is the format's front (parse, write, the types as
data); :mod:`.registry` finds a stored question's type; :mod:`.grading` grades an attempt."""
