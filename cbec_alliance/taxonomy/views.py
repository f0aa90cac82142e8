"""Routes under /api/v1/taxonomy."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.extensions import db
from cbec_alliance.taxonomy import services
from cbec_alliance.taxonomy.schemas import (
    TaxonomyCreateSchema,
    TaxonomyItemSchema,
    TaxonomyListSchema,
    TaxonomyRenameSchema,
    VocabularyIndexSchema,
)

blp = Blueprint(
    "taxonomy", __name__, url_prefix="/api/v1/taxonomy", description="Shared vocabularies"
)


@blp.route("")
class Vocabularies(MethodView):
    """Every vocabulary."""

    @blp.doc(security=[])
    @blp.response(200, VocabularyIndexSchema)
    def get(self):
        """The vocabularies with their English and Chinese names and item counts."""
        return {"items": services.vocabularies()}


@blp.route("/<string:vocabulary>")
class Vocabulary(MethodView):
    """One vocabulary."""

    @blp.doc(security=[])
    @blp.response(200, TaxonomyListSchema)
    def get(self, vocabulary):
        """All items with English and Chinese labels (not paginated: vocabularies are short)."""
        services.require_vocabulary(vocabulary)
        return {
            "vocabulary": vocabulary,
            "items": db.session.scalars(services.items(vocabulary)).all(),
        }

    @login_required
    @blp.arguments(TaxonomyCreateSchema)
    @blp.response(201, TaxonomyItemSchema)
    def post(self, data, vocabulary):
        """Add an item (coordinators)."""
        require_coordinator()
        return services.add(me(), vocabulary, data)


@blp.route("/<string:vocabulary>/<string:code>")
class VocabularyItem(MethodView):
    """One item."""

    @login_required
    @blp.arguments(TaxonomyRenameSchema)
    @blp.response(200, TaxonomyItemSchema)
    def patch(self, data, vocabulary, code):
        """Rename an item (coordinators); its code stays."""
        require_coordinator()
        return services.rename(me(), vocabulary, code, data)
