"""What staff do, one function per task: the services to ask and what to show. Pages in
``portal.api`` call these and render the result."""
