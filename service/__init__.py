"""The starlint HTTP scoring service and the paste-an-answer page (a thin shell over ``evaluator``).

Run it with ``starlint serve``; build it in code with ``service.app.create_app(settings)``.
"""
