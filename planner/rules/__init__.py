"""The rules as data: catalogue, rule book, families, calendars, timetable, milestones,
congress kinds, history and preparation steps."""
