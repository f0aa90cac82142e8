"""Extensions, created uninitialised and bound to the app in create_app."""

from typing import TYPE_CHECKING, ClassVar

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from cbec_alliance.core.api import ProblemApi

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names, so migrations are reproducible."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        # SQLAlchemy types it as any FROM clause; every model here is mapped to a Table.
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)
if TYPE_CHECKING:
    # Flask-SQLAlchemy types `db.Model` as an attribute, which a type checker cannot take as a
    # base class; at run time it is Base plus Flask-SQLAlchemy's mixins (bind key, table name).
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
api = ProblemApi()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
mail = Mail()  # Flask-Mailman; core/mail.py chooses SMTP or the log per message
babel = Babel()
