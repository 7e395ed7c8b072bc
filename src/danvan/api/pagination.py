"""Page-numbered lists; the page size is the client's to choose, within a cap.

A page size or page number that is not a whole number in range is a 400, never silently
replaced by the default: a client learns its request was not read as it meant.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from danvan.core.ids import parse_whole

MAX_PAGE = 10_000_000


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = parse_whole(raw, low=1, high=self.max_page_size)
        if size is None:
            message = _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise serializers.ValidationError({self.page_size_query_param: [message]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        wrong = raw is not None and raw not in self.last_page_strings
        if wrong and parse_whole(raw, low=1, high=MAX_PAGE) is None:
            message = _("Give a page number from 1.")
            raise serializers.ValidationError({self.page_query_param: [message]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE)
        return parameters
