# Models arrive with this app's issue (see DESIGN §3).
