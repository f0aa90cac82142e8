"""Routes of a course's materials: /api/v1/courses/{id}/materials."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me

from . import materials, services
from .schemas import MaterialArgs, MaterialInSchema, MaterialSchema
from .views import blp


@blp.route("/courses/<int:course_id>/materials")
class Materials(MethodView):
    """A course's materials, by title and version."""

    @login_required
    @blp.arguments(MaterialArgs, location="query")
    @blp.response(200, MaterialSchema(many=True))
    def get(self, args, course_id):
        """The latest version of each title (`?all=true`: every version); the course's
        university, partners, enrolled students and coordinators."""
        course = services.get_visible(course_id, me())
        return materials.listing(me(), course, args["all"])

    @login_required
    @blp.arguments(MaterialInSchema)
    @blp.response(201, MaterialSchema)
    def post(self, data, course_id):
        """Add one of my uploads (the university's or a partner enterprise's staff); a title
        already used gets its next version."""
        return materials.add(me(), services.get_visible(course_id, me()), data)


@blp.route("/courses/<int:course_id>/materials/<int:material_id>")
class MaterialItem(MethodView):
    """One version of a material."""

    @login_required
    @blp.response(204)
    def delete(self, course_id, material_id):
        """Delete this version (its uploader, or an admin of the course's university)."""
        materials.remove(me(), services.get_visible(course_id, me()), material_id)
