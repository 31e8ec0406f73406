{% mama_name, node) %}

    {% if custom_schema_name is none %}
        {{ target.schema }}
    {%}
        {{ target.schema }}
    {% else %}
        {{ custom_schema_name }}
    {% endif %}

{% endmacro %}